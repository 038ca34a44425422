import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests start loopback servers and write SQLite files; two cores are plenty for a few forks.
    pool: "forks",
    // Builds the demo estate's outputs once per run for the test files that read them.
    globalSetup: ["test/global-setup.ts"],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
