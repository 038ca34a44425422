// `npm run build`: the shipped CLI in dist/ (see bundle.ts).
import { join, resolve } from "node:path";
import { bundleCli } from "./bundle.js";

const bin = await bundleCli(join(resolve(import.meta.dirname, ".."), "dist"));
process.stdout.write(`Built ${bin}\n`);
