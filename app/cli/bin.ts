#!/usr/bin/env node
import { describeError, EXIT } from "../../src/errors.js";
import { main } from "./main.js";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = EXIT.runFailed;
  },
);
