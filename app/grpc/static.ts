// The certificate page's files (built by scripts/build-web.js into dist/web), served by the REST server
// at / beside the gateway's routes: a fixed set of files read once, nothing else on disk reachable.
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** A REST fallback that serves the files of `dir` by name ("/" is index.html); false for any other path. */
export function staticFiles(dir: string): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const files = new Map<string, { type: string; body: Buffer }>();
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      const file = path.join(dir, name);
      if (type && fs.statSync(file).isFile()) files.set(`/${name}`, { type, body: fs.readFileSync(file) });
    }
  }
  return (req, res) => {
    const urlPath = (req.url ?? "/").split("?")[0]!;
    const file = files.get(urlPath === "/" ? "/index.html" : urlPath);
    if (!file) {
      if (urlPath !== "/") return false;
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("The certificate page is not built here: run `npm run build` (it runs scripts/build-web.js), then restart mirad.\n");
      return true;
    }
    res.writeHead(200, { "content-type": file.type, "content-length": file.body.length, "cache-control": "no-cache", "x-content-type-options": "nosniff" });
    res.end(req.method === "HEAD" ? undefined : file.body);
    return true;
  };
}
