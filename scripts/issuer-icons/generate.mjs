// Writes the issuer icons Tessera bundles, from the two CC0 sets pinned in package.json, into
// crates/core/src/icons/: index.tsv (id, brand colour, title, names to match, the brand's own
// domains) and svgs.tsv (id, viewBox, SVG body). Run by `make issuer-icons`; the output is committed, so building
// Tessera never needs these packages or the network.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "../../crates/core/src/icons");
const pkg = (name) => join(here, "node_modules", name);

// simple-icons is CC0 as a set, but some of its icons carry their brand's own licence
// (Apache, CC-BY, GPL...): only the CC0 ones are taken.
const simple = JSON.parse(readFileSync(join(pkg("simple-icons"), "data/simple-icons.json"), "utf8"));
const cc0 = (icon) => !icon.license || icon.license.type === "CC0-1.0";

// From SVG Logos, only brands that simple-icons lacks and that offer TOTP sign-in: the
// services of the 2factorauth directory (entries with "totp") whose name or domain is a logos
// icon and no simple-icons one, without the names that are another brand there (Batch, Close,
// Kraken...). The square mark ("-icon") is taken where the set has one: it reads at 32 px.
const LOGOS = {
  aws: "Amazon Web Services",
  "microsoft-icon": "Microsoft",
  "microsoft-azure": "Microsoft Azure",
  "microsoft-teams": "Microsoft Teams",
  "slack-icon": "Slack",
  "linkedin-icon": "LinkedIn",
  "heroku-icon": "Heroku",
  "active-campaign-icon": "ActiveCampaign",
  "assembla-icon": "Assembla",
  balena: "Balena",
  "bubble-icon": "Bubble",
  "bugsnag-icon": "Bugsnag",
  "chargebee-icon": "Chargebee",
  "customerio-icon": "Customer.io",
  "deployhq-icon": "DeployHQ",
  dreamhost: "DreamHost",
  "engine-yard-icon": "Engine Yard",
  envoyer: "Envoyer",
  "fogbugz-icon": "FogBugz",
  ibm: "IBM",
  "launchdarkly-icon": "LaunchDarkly",
  linode: "Linode",
  "mailjet-icon": "Mailjet",
  "metamask-icon": "MetaMask",
  "monday-icon": "Monday.com",
  onesignal: "OneSignal",
  "openai-icon": "OpenAI",
  "optimizely-icon": "Optimizely",
  oracle: "Oracle",
  poeditor: "POEditor",
  podio: "Podio",
  "rackspace-icon": "Rackspace",
  salesforce: "Salesforce",
  "segment-icon": "Segment",
  solarwinds: "SolarWinds",
  "tableau-icon": "Tableau",
  "teamwork-icon": "Teamwork",
  telnyx: "Telnyx",
  "twilio-icon": "Twilio",
  "unbounce-icon": "Unbounce",
  yahoo: "Yahoo",
  zeplin: "Zeplin",
};

const clean = (s) => s.replace(/[\t\n|]/g, " ").trim();
const key = (s) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

// The registrable domain of a URL (its last two labels, three under a country's "co.", "com."...).
const SECOND_LEVEL = new Set(["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"]);
function registrable(url) {
  let host;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
  const labels = host.split(".");
  const n = labels.length > 2 && labels.at(-1).length === 2 && SECOND_LEVEL.has(labels.at(-2)) ? 3 : 2;
  return labels.length >= n ? labels.slice(-n).join(".") : null;
}

// The brand's own domains: those of its source and guidelines links whose name is the brand's
// (github.com for GitHub), not a host it was found on (github.com for .NET's logo repository).
function domains(icon, names) {
  const own = new Set([icon.title, ...names].map(key));
  const found = [icon.source, icon.guidelines]
    .filter(Boolean)
    .map(registrable)
    .filter((d) => d && own.has(key(d.split(".")[0])));
  return [...new Set(found)];
}
const index = [];
const svgs = [];

for (const icon of simple.filter(cc0)) {
  const svg = readFileSync(join(pkg("simple-icons"), "icons", `${icon.slug}.svg`), "utf8");
  const path = svg.match(/<path d="([^"]+)"/);
  if (!path) throw new Error(`simple-icons/${icon.slug}: no single path`);
  const a = icon.aliases ?? {};
  const names = [icon.slug, ...(a.aka ?? []), ...(a.dup ?? []).map((d) => d.title), ...Object.values(a.loc ?? {})];
  const id = `simple-icons/${icon.slug}`;
  index.push([id, icon.hex, clean(icon.title), [...new Set(names.map(clean))].join("|"), domains(icon, names).join("|")]);
  svgs.push([id, "0 0 24 24", `<path d="${path[1]}"/>`]);
}

const logos = JSON.parse(readFileSync(join(pkg("@iconify-json/logos"), "icons.json"), "utf8"));
for (const [name, title] of Object.entries(LOGOS)) {
  const icon = logos.icons[name];
  if (!icon) throw new Error(`logos/${name}: not in the set`);
  const id = `logos/${name}`;
  const base = name.replace(/-icon$/, "");
  index.push([id, "", title, base, ""]);
  const w = icon.width ?? logos.width ?? 256;
  const h = icon.height ?? logos.height ?? 256;
  svgs.push([id, `0 0 ${w} ${h}`, icon.body.replace(/\s*\n\s*/g, " ")]);
}

const byId = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const tsv = (rows) => rows.sort(byId).map((r) => r.join("\t")).join("\n") + "\n";
const versions = ["simple-icons", "@iconify-json/logos"]
  .map((n) => `${n} ${JSON.parse(readFileSync(join(pkg(n), "package.json"), "utf8")).version}`)
  .join(", ");
writeFileSync(join(out, "index.tsv"), tsv(index));
writeFileSync(join(out, "svgs.tsv"), tsv(svgs));
writeFileSync(join(out, "VERSIONS"), `${versions}\n`);
console.log(`issuer icons: ${index.length} from ${versions}`);
