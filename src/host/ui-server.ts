/**
 * The local HTTP server of `kfit ui`: 127.0.0.1 only, one UiSession (src/ui/ui-session.ts), a small JSON API
 * and the page's static files (dist/ui/, built by esbuild from src/ui/app.ts).
 *
 *   GET  /api/info                   UiInfo
 *   GET  /api/menu?id=N              UiNode[] (the rows below node N)
 *   GET  /api/menus?ids=N,M          {N: UiNode[], M: UiNode[]}
 *   GET  /api/search?q=TEXT          UiSearchHit[]
 *   GET  /api/help?name=SYM | ?id=N  UiHelp
 *   GET  /api/changes                UiChanges (edits + semantic diff against the start)
 *   POST /api/set   {name, value}    UiSetResult (ok:false with a reason when refused)
 *   POST /api/undo  {id}             UiSetResult
 *   POST /api/reset                  UiSetResult
 *   POST /api/check                  UiCheck (with --kernel-config only)
 *   GET  /api/export/config          the .config text
 *   GET  /api/export/nix             the minimal Nix file
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/diag/errors.ts';
import type { UiInfo } from '../ui/api.ts';
import type { UiSession } from '../ui/ui-session.ts';
import { checkWithPipeline, type PipelineInput } from '../ui/pipeline-check.ts';

/** Options of `startUiServer`. */
export interface UiServerOptions {
  readonly session: UiSession;
  readonly info: Omit<UiInfo, 'canCheck' | 'root'>;
  /** With `--kernel-config`: what POST /api/check runs. */
  readonly pipeline?: PipelineInput;
  /** generate-config.pl's lines for the intermediate text alone (made when first needed otherwise). */
  readonly pipelineLines?: readonly string[];
  /** 0 (default) for a free port. */
  readonly port?: number;
  /** Where app.js / app.css / index.html are; default: dist/ui next to the bundle (or the repo's dist/ui). */
  readonly assetsDir?: string;
}

/** A running UI server. */
export interface UiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The page's directory: dist/ui beside dist/kfit.mjs, or the repo's dist/ui when run from src/ with tsx. */
export function defaultAssetsDir(): string | undefined {
  for (const rel of ['./ui/', '../../dist/ui/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'app.js'))) return dir;
  }
  return undefined;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.map': 'application/json' };

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>kfit ui</title><link rel="stylesheet" href="app.css"></head><body><div id="app"></div><script type="module" src="app.js"></script></body></html>';

const FALLBACK_PAGE = '<!doctype html><meta charset="utf-8"><title>kfit ui</title><p>The page is not built: run <code>npm run build</code> (it writes dist/ui/). The JSON API is at /api/.</p>';

/** Starts the server on 127.0.0.1 (a free port unless `port` is given); resolves when it listens. */
export function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const assets = options.assetsDir ?? defaultAssetsDir();
  const baselineCache: { lines?: readonly string[] } = {};
  const info: UiInfo = { ...options.info, canCheck: options.pipeline !== undefined, root: options.session.model.root.id };
  const server = createServer((req, res) => {
    handle(options, info, assets, req, res, baselineCache).catch((error: unknown) => {
      const input = error instanceof InputError;
      send(res, input ? 400 : 500, { error: input ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new InputError('ui/listen', `kfit: cannot listen on 127.0.0.1:${options.port ?? 0}: ${error.code ?? error.message}`));
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/`, port, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1 << 20) throw new InputError('ui/body', 'kfit: request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InputError('ui/body', 'kfit: the request body must be a JSON object');
}

function numberParam(url: URL, name: string): number {
  const v = url.searchParams.get(name);
  if (v === null || !/^\d+$/.test(v)) throw new InputError('ui/param', `kfit: ?${name}= must be a number`);
  return Number(v);
}

async function handle(o: UiServerOptions, info: UiInfo, assets: string | undefined, req: IncomingMessage, res: ServerResponse, kept: { lines?: readonly string[] }): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const s = o.session;
  const path = url.pathname;
  if (req.method === 'GET') {
    switch (path) {
      case '/api/info':
        return send(res, 200, info);
      case '/api/menu':
        return send(res, 200, s.menu(url.searchParams.has('id') ? numberParam(url, 'id') : info.root));
      case '/api/menus': {
        // several menus at once, for refreshing every open menu after a change
        const ids = (url.searchParams.get('ids') ?? '').split(',').filter((x) => /^\d+$/.test(x)).map(Number);
        return send(res, 200, Object.fromEntries(ids.map((id) => [id, s.menu(id)])));
      }
      case '/api/search':
        return send(res, 200, s.search(url.searchParams.get('q') ?? '', url.searchParams.has('limit') ? numberParam(url, 'limit') : 100));
      case '/api/help':
        return send(res, 200, s.help(url.searchParams.has('id') ? numberParam(url, 'id') : (url.searchParams.get('name') ?? '')));
      case '/api/changes':
        return send(res, 200, s.changes());
      case '/api/export/config':
        return send(res, 200, s.dotConfig(), 'text/plain; charset=utf-8');
      case '/api/export/nix':
        return send(res, 200, s.nixFile(), 'text/plain; charset=utf-8');
      default:
        return serveAsset(res, assets, path);
    }
  }
  if (req.method === 'POST') {
    const body = await readBody(req);
    switch (path) {
      case '/api/set': {
        if (typeof body.name !== 'string' || typeof body.value !== 'string') throw new InputError('ui/body', 'kfit: /api/set needs {"name": string, "value": string}');
        return send(res, 200, s.set(body.name, body.value));
      }
      case '/api/undo':
        if (typeof body.id !== 'number') throw new InputError('ui/body', 'kfit: /api/undo needs {"id": number}');
        return send(res, 200, s.undo(body.id));
      case '/api/reset':
        return send(res, 200, s.reset());
      case '/api/check':
        if (!o.pipeline) throw new InputError('ui/no-pipeline', 'kfit: the pipeline check needs kfit ui --kernel-config FILE');
        kept.lines ??= o.pipelineLines ?? checkWithPipeline(s.model, o.pipeline, new Map()).lines;
        return send(res, 200, checkWithPipeline(s.model, o.pipeline, s.answers(), kept.lines));
    }
  }
  send(res, 404, { error: `no ${req.method} ${path}` });
}

function serveAsset(res: ServerResponse, assets: string | undefined, path: string): void {
  const name = path === '/' ? 'index.html' : path.slice(1);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) return send(res, 404, { error: `no ${path}` });
  if (!assets) return name === 'index.html' ? send(res, 200, FALLBACK_PAGE, TYPES['.html']) : send(res, 404, { error: 'the page is not built (npm run build)' });
  if (name === 'index.html') return send(res, 200, PAGE, TYPES['.html']);
  const file = join(assets, name);
  if (!existsSync(file)) return send(res, 404, { error: `no ${path}` });
  res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(readFileSync(file));
}

/** Opens `url` in the desktop's browser (xdg-open), without waiting; a missing xdg-open only prints a hint. */
export function openInBrowser(url: string): void {
  const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`kfit: could not run xdg-open; open ${url} yourself\n`));
  child.unref();
}
