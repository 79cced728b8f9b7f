/**
 * The layers of ogi (ARCHITECTURE.md, "Layers") as dependency-cruiser rules. Imports only go down:
 *
 *    1  src/domain            template labels and codes, report types, consistency rules, errors
 *    2  src/util, src/archive  small helpers, content-addressed bytes
 *    3  src/validate          OCR trust, carry-overs across years
 *    4  src/extract           readers, matching, the file-type detector
 *    5  src/load, schema/     the dataset database
 *    6  src/ingest            one path for a document: bytes + provenance → extract → check → load
 *    7  src/crawl             fetch layer, crawl state, site registry, platform adapters
 *    8  src/export, src/query read the dataset; src/site builds the website from a snapshot
 *       (src/site/browser: browser code, bundled into the site)
 *    9  src/nightly           the unattended run
 *   10  src/cli.ts and every stage's command.ts
 *   testkit/ (replicas, replay server, report generators) may import src/; src/ never imports it.
 *   crawlers/platforms/<platform>/: a platform in one folder. Its adapter and params are crawl code
 *   (layer 7, imported by src/crawl/adapters); its replica.ts and tests are test tooling.
 *
 * A layer's rule says which folders it MAY import ("pathNot"); anything else of ours is a
 * violation. Rules name folders that do not exist yet (src/ingest, testkit/): they apply as soon
 * as the folder does. Checked by test/architecture.test.ts; by hand: `npx depcruise src schema`.
 * Type-only imports count: a cycle through types is still a cycle.
 */

/** A stage's command.ts is the top layer (it wires a stage to the CLI), whatever folder it is in. */
const COMMAND = '^src/[^/]+/command\\.ts$';
/** A platform folder's test tooling: its replica shape and its tests (the rest of the folder is crawl code). */
const PLATFORM_TOOLING = '^crawlers/platforms/[^/]+/(.+\\.test\\.ts|replica\\.ts|replica/.*)$';
/** Everything of ours: a dependency on anything else (node:*, npm packages) is not a layer question. */
const OURS = '^(src|schema|testkit|test|scripts|crawlers|bin)/';

/** `from` may import only what `allowed` matches (and what lies outside the repository's code). */
function mayImportOnly(name, comment, from, allowed) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from, pathNot: COMMAND },
    to: { path: OURS, pathNot: allowed },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files: a cycle makes two files one module in all but name.',
      severity: 'error',
      from: { path: '^(src|schema|testkit|crawlers/platforms)/' },
      to: { circular: true },
    },
    mayImportOnly(
      'domain-imports-nothing-of-ours',
      'src/domain is the bottom: the report as ogi knows it, whatever reads, stores or crawls it.',
      '^src/domain/',
      '^src/domain/',
    ),
    mayImportOnly(
      'util-archive-import-domain-at-most',
      'src/util and src/archive are small helpers under everything: they know the domain at most.',
      '^src/(util|archive)/',
      '^src/(domain|util|archive)/',
    ),
    mayImportOnly(
      'validate-imports-domain-util',
      'src/validate (OCR trust, cross-year checks) works on domain values: never on readers, the loader or the crawler.',
      '^src/validate/',
      '^src/(domain|util|validate)/',
    ),
    mayImportOnly(
      'extract-imports-domain-util-validate',
      'src/extract turns bytes into a report: it knows nothing of where bytes come from (crawl, ingest) or go (load, export, query).',
      '^src/extract/',
      '^src/(domain|util|archive|validate|extract)/',
    ),
    mayImportOnly(
      'load-imports-domain-util-schema',
      'src/load stores an extraction it is given: it never reads documents (extract), fetches them (crawl) or runs a pipeline (ingest, nightly).',
      '^src/load/',
      '^(src/(domain|util|archive|load)/|schema/)',
    ),
    mayImportOnly(
      'schema-imports-domain-only',
      'schema/ (drizzle tables, generated views) is generated from the template: it imports src/domain and nothing else of ours.',
      '^schema/',
      '^(src/domain/|schema/)',
    ),
    mayImportOnly(
      'ingest-imports-below-it',
      'src/ingest is one path for a document (extract → check → load): it never calls the crawler, export, query or nightly above it.',
      '^src/ingest/',
      '^(src/(domain|util|archive|validate|extract|load|ingest)/|schema/)',
    ),
    mayImportOnly(
      'crawl-imports-ingest-and-below',
      'src/crawl hands documents to ingest: it never imports export, query or nightly.',
      '^src/crawl/',
      '^(src/(domain|util|archive|validate|extract|load|ingest|crawl)/|schema/|crawlers/platforms/)',
    ),
    {
      name: 'platform-code-is-crawl-code',
      comment:
        'A platform folder (crawlers/platforms/<platform>/) is crawl code beside its test tooling: its adapter and params import what src/crawl may, never export, query, nightly or testkit.',
      severity: 'error',
      from: { path: '^crawlers/platforms/', pathNot: PLATFORM_TOOLING },
      to: { path: OURS, pathNot: '^(src/(domain|util|archive|validate|extract|load|ingest|crawl)/|schema/|crawlers/platforms/)' },
    },
    mayImportOnly(
      'export-query-read-the-dataset',
      'src/export and src/query read the dataset: they never crawl, ingest or run nightly.',
      '^src/(export|query)/',
      '^(src/(domain|util|archive|validate|load|export|query)/|schema/)',
    ),
    mayImportOnly(
      'site-reads-the-snapshot',
      'src/site builds the website from a snapshot as export reads the dataset: it never crawls, ingests or runs nightly.',
      '^src/site/',
      '^(src/(domain|util|archive|validate|load|export|query|site)/|schema/)',
    ),
    mayImportOnly(
      'site-browser-code-stays-in-the-browser',
      'src/site/browser is bundled into the site and runs in a browser: it imports only itself, pure src/domain code and the types of the data the build writes (src/site/data.ts), never Node code.',
      '^src/site/browser/',
      '^src/(domain/|site/browser/|site/data\\.ts$)',
    ),
    mayImportOnly(
      'nightly-imports-below-it',
      'src/nightly drives crawl, ingest, export (with the site), validate and load: only the CLI is above it.',
      '^src/nightly/',
      '^(src/(domain|util|archive|validate|extract|load|ingest|crawl|export|query|site|nightly)/|schema/)',
    ),
    {
      name: 'src-never-imports-test-tooling',
      comment: 'The product never depends on its tests: testkit/, test/ and scripts/ may import src/, never the other way round.',
      severity: 'error',
      from: { path: '^(src|schema)/' },
      to: { path: '^(testkit|test|scripts)/' },
    },
    {
      name: 'product-never-imports-platform-tooling',
      comment: "A platform's replica shape and tests are test tooling: the product (src/, schema/, a platform's adapter and params) never imports them.",
      severity: 'error',
      from: { path: '^(src/|schema/|crawlers/platforms/)', pathNot: PLATFORM_TOOLING },
      to: { path: PLATFORM_TOOLING },
    },
    {
      name: 'replay-is-test-tooling',
      comment:
        'The replay server and report generators are test tooling (testkit/): the product reaches a test server only through the generic `via` option, never by importing it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/replay/' },
      to: { path: '^src/replay/' },
    },
    {
      name: 'test-tooling-outside-src',
      comment:
        'Test tooling lives in testkit/, not in src/: src/replay/ is to move there (until it does, each of its imports of the product is listed).',
      severity: 'error',
      from: { path: '^src/replay/' },
      to: { path: '^(src|schema)/', pathNot: '^src/replay/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
