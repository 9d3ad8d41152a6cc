// Copies the browser JavaScript into static/build/, next to the compiled CSS.
// Plain Node, so `npm run build` works the same on Linux, macOS and Windows.
import { copyFileSync, mkdirSync } from "node:fs";

const out = "static/build";
const files = {
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map": "govuk-frontend.min.js.map",
  "assets/js/crossgov.js": "crossgov.js",
  "assets/js/supported.js": "supported.js",
  "assets/js/live.js": "live.js",
  "assets/js/search.js": "search.js",
};

mkdirSync(out, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  copyFileSync(from, `${out}/${to}`);
}
