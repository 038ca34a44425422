import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.load-balancer-tls",
  title: "Load balancers accept TLS only, with a current security policy",
  severity: "high",
  controls: [
    {
      control: "A.8.21",
      rationale:
        "“Security mechanisms, service levels and service requirements of network services shall be identified, implemented and monitored”: HTTPS/SSL-only listeners, HTTP redirected to HTTPS and a predefined TLS policy are the security mechanisms of the load-balancing service, monitored by Config (service levels are not shown).",
    },
    {
      control: "A.5.14",
      rationale:
        "“Information transfer rules … shall be in place for all types of transfer facilities”: a load balancer that only speaks TLS to clients enforces encrypted transfer for every client connection.",
    },
    {
      control: "A.8.24",
      rationale:
        "“Rules for the effective use of cryptography … shall be defined and implemented”: only findings of elb-predefined-security-policy-ssl-check count here, as that rule judges the cipher and protocol policy itself; listener protocols are A.8.21 and A.5.14 only.",
    },
  ],
  controlsOnlyFromRules: { "A.8.24": ["elb-predefined-security-policy-ssl-check"] },
  remediation:
    "Replace HTTP/TCP listeners with HTTPS/SSL ones (or redirect HTTP to HTTPS on Application Load Balancers), and attach a current predefined security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.",
});
