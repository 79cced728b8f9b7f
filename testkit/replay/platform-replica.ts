/**
 * How a platform's replica plugs into the replay server. Every platform brings its replica shape in
 * its own folder, `crawlers/platforms/<platform>/replica.ts`, exporting a `PlatformReplica`, and
 * is listed once in testkit/replay/platform-replicas.ts. The replay server has no platform code: it
 * answers every host a site's replica names with that replica's `route` (several replicas may share
 * a host, e.g. a file mirror: each is asked in turn until one answers).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Site } from '../../src/crawl/registry.ts';
import type { ExpectedReport, Mode, ReplicaReport } from './replica-reports.ts';

/** What the replay server sends back for one request. */
export interface Reply {
  status: number;
  body: Buffer | string;
  type?: string;
  headers?: Record<string, string>;
  /** Last-Modified of the resource, for conditional requests (default: the replicas' epoch) */
  modified?: Date;
}

/** One request as a platform replica sees it. */
export interface ReplicaRequest {
  method: string;
  /** the URL with the real host name (the Host header the crawler sent) */
  url: URL;
  headers: IncomingHttpHeaders;
  /** the request body (a POST form or JSON), read on demand */
  body(): Promise<Buffer>;
  /** a cookie the request carries, or null */
  cookie(name: string): string | null;
  /** the replicas' state: 'initial' (first crawl) or 'updated' (after reports were added or corrected) */
  mode: Mode;
  /** the state of the replay server that answers, for behaviours that live as long as it does */
  server: ServerState;
}

/** Per-server state a replica may keep: each replay server starts afresh. */
export interface ServerState {
  /** a random string fixed for the server's life (e.g. a cookie challenge's token) */
  token: string;
  /** true the first time `key` is asked of this server, false afterwards (e.g. a once-only 429 per host) */
  once(key: string): boolean;
}

/** Where a site's replica lives: the host and scheme of its first start URL, its replica-files/ folder. */
export interface Served {
  site: string;
  host: string;
  scheme: 'http' | 'https';
  files: string;
}

/** The replica of one site, ready to serve. */
export interface ServedReplica {
  site: string;
  /** every host name it answers for (the site's host, sister or attachment hosts) */
  hosts: string[];
  /** the answer to a request for one of its hosts; null: 404 */
  route(req: ReplicaRequest): Promise<Reply | null> | Reply | null;
  /** its robots.txt for one of its hosts (default: allow everything); null: none (404) */
  robots?(host: string): string | null;
  /** every report a complete crawl should load, with its values */
  expected(mode: Mode): ExpectedReport[];
  /** reports published as a file (pdf/doc) that testkit/replay/build-data.ts renders into `dir` (the site's replica-files/) */
  files?: { report: ReplicaReport; dir: string }[];
}

/** A platform's replica shape: builds a site's replica from its replica.yml, or from its site.yml when it has none. */
export interface PlatformReplica {
  platform: string;
  /**
   * `yml` is the parsed replica.yml beside the site's site.yml (validate it and throw
   * `replica-invalid: <file>: …` when it is wrong), or null when the site has none: generate one
   * from the site.yml, or return null to leave the site unserved.
   */
  load(site: Site, yml: unknown, served: Served, file: string): ServedReplica | null;
}
