// Copies the browser libraries the pages use from node_modules into assets/build/vendor,
// so the platform serves them itself (no CDN). Source-map references are dropped: the maps are not shipped,
// and collectstatic's manifest storage refuses a file that points at a missing one.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const files = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "alpine.min.js": "node_modules/alpinejs/dist/cdn.min.js",
  "chart.umd.min.js": "node_modules/chart.js/dist/chart.umd.min.js",
};
mkdirSync("assets/build/vendor", { recursive: true });
for (const [name, src] of Object.entries(files)) {
  const text = readFileSync(src, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
  writeFileSync(`assets/build/vendor/${name}`, text);
}
