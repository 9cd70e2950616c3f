// The calculator's standard library, made inside Pyodide itself under Node (same interpreter, same
// bytecode magic as the browser), and the runtime files' precompressed copies.
//
//   node pyc_stdlib.mjs full <pyodide dir> <out.zip>
//       Every module of the npm python_stdlib.zip compiled to .pyc (deflated): the fallback archive.
//       Why: the npm zip holds only sources, so each browser boot would compile ~130 modules in wasm.
//   node pyc_stdlib.mjs trim <pyodide dir> <full.zip> <probe.json> <out.zip>
//       Boots on the full archive, runs the probe (the engine zip unpacked, calculator_worker.py
//       started, every scenario evaluated, an error path taken, every module the engine sources
//       name imported), records which archive modules were imported, writes only those (stored,
//       so a host's Brotli or gzip compresses the archive whole), then boots again on the result
//       and runs the same probe with the full-archive fallback disabled: any import it misses is
//       an error. Prints {"modules": N, "bytes": N} or exits 1 with the missing import.
//       probe.json: {"engine": <zip path>, "worker": <calculator_worker.py path>, "rules": <rules.json path>,
//                    "scenarios": [...]}
//   node pyc_stdlib.mjs compress <file>...
//       Writes <file>.br (quality 11) and <file>.gz (level 9) beside each file.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [command, ...args] = process.argv.slice(2);

async function boot(indexDir, stdLibURL) {
  const indexURL = resolve(indexDir) + "/";
  const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
  return loadPyodide({ indexURL, stdLibURL, stdout: () => {}, stderr: (s) => console.error(s) });
}

const ZIP_ENTRY = `
def _entry(name):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info
`;

async function full(indexDir, output) {
  const py = await boot(indexDir);
  const count = py.runPython(`
import importlib._bootstrap_external as ext
import importlib.util
import zipfile
${ZIP_ENTRY}
SOURCE = "/lib/python314.zip"
compiled = 0
with zipfile.ZipFile(SOURCE) as src, zipfile.ZipFile("/tmp/stdlib-pyc.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        data = src.read(info)
        name = info.filename
        if name.endswith(".py"):
            try:
                code = compile(data, f"{SOURCE}/{name}", "exec", dont_inherit=True, optimize=0)
            except SyntaxError:
                code = None  # a test fixture with deliberate bad syntax: keep its source
            if code is not None:
                data = bytes(ext._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
                name = name + "c"
                compiled += 1
        out.writestr(_entry(name), data, zipfile.ZIP_DEFLATED)
compiled
`);
  writeFileSync(output, py.FS.readFile("/tmp/stdlib-pyc.zip"));
  console.log(JSON.stringify({ compiled: count }));
}

// The same probe on both boots: what the browser's worker does, then every path we can think of.
const PROBE = `
import ast, importlib, json, pathlib, sys, traceback
sys.path.insert(0, "/home/pyodide/rulebook-engine")
import calculator_worker as worker
PROBE = json.loads(PROBE_TEXT)
worker.start(RULES_TEXT)
if NO_FALLBACK:
    def _refuse():
        raise ImportError("not in the trimmed standard library")
    for finder in sys.meta_path:
        if isinstance(finder, worker.FullStdlibFinder):
            finder.fetch = _refuse
for scenario in PROBE["scenarios"]:
    for entry in ("evaluate", "compare"):  # every entry point a page may call; an error answer is fine
        worker.call(entry, json.dumps(scenario))
for bad in ("{not json", "NaN", "[]", '{"tax_year": "x"}'):
    try:
        worker.call("evaluate", bad)
    except Exception:
        traceback.format_exc()
try:
    worker.call("no-such-entry", "{}")
except Exception:
    traceback.format_exc()
for source in sorted(pathlib.Path("/home/pyodide/rulebook-engine").glob("**/*.py")):
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \\
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
        for name in names:
            if name.partition(".")[0] in sys.stdlib_module_names:
                importlib.import_module(name)
used = sorted({m.__spec__.origin[len("/lib/python314.zip/"):] for m in list(sys.modules.values())
               if getattr(getattr(m, "__spec__", None), "origin", None) and
               m.__spec__.origin.startswith("/lib/python314.zip/")})
json.dumps(used)
`;

async function probe(indexDir, stdLibURL, spec, noFallback) {
  const py = await boot(indexDir, stdLibURL);
  py.unpackArchive(new Uint8Array(readFileSync(spec.engine)), "zip", { extractDir: "/home/pyodide/rulebook-engine" });
  py.FS.writeFile("/home/pyodide/rulebook-engine/calculator_worker.py", readFileSync(spec.worker, "utf8"));
  py.globals.set("RULES_TEXT", readFileSync(spec.rules, "utf8"));
  py.globals.set("PROBE_TEXT", JSON.stringify(spec));
  py.globals.set("NO_FALLBACK", noFallback);
  return { py, used: JSON.parse(py.runPython(PROBE)) };
}

async function trim(indexDir, fullZip, probeFile, output) {
  const spec = JSON.parse(readFileSync(probeFile, "utf8"));
  const { py, used } = await probe(indexDir, resolve(fullZip), spec, false);
  py.FS.writeFile("/tmp/full.zip", readFileSync(fullZip));
  py.globals.set("USED", JSON.stringify(used));
  py.runPython(`
import json, zipfile
${ZIP_ENTRY}
keep = set(json.loads(USED))
with zipfile.ZipFile("/tmp/full.zip") as src, zipfile.ZipFile("/tmp/trimmed.zip", "w", zipfile.ZIP_STORED) as out:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        if info.filename in keep:
            out.writestr(_entry(info.filename), src.read(info), zipfile.ZIP_STORED)
`);
  writeFileSync(output, py.FS.readFile("/tmp/trimmed.zip"));
  try {
    const again = await probe(indexDir, resolve(output), spec, true);
    const lost = used.filter((name) => !again.used.includes(name));
    if (lost.length) throw new Error(`modules imported on the full archive but not on the trimmed one: ${lost.join(", ")}`);
  } catch (error) {
    console.error(`the trimmed standard library fails the probe: ${error.message || error}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ modules: used.length, bytes: readFileSync(output).length }));
}

function compress(files) {
  for (const file of files) {
    const data = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
  }
  console.log(JSON.stringify({ compressed: files.length }));
}

if (command === "full" && args.length === 2) await full(...args);
else if (command === "trim" && args.length === 4) await trim(...args);
else if (command === "compress" && args.length) compress(args);
else {
  console.error("usage: node pyc_stdlib.mjs full <pyodide dir> <out.zip> | trim <pyodide dir> <full.zip> <probe.json> <out.zip> | compress <file>...");
  process.exit(1);
}
