// Build a stdlib zip of precompiled .pyc files inside Pyodide itself, under Node.
//
// Why: the npm python_stdlib.zip holds only .py sources, so every browser boot compiles ~130
// modules inside wasm (seconds). Compiling them here, with the very interpreter the browser runs,
// gives bytecode with the right magic number; the calculator passes the result as stdLibURL.
// With a third argument it also writes a memory snapshot (experimental Pyodide API) taken after
// booting on that zip and importing what the engine needs; browsers then skip interpreter start-up.
// Usage: node pyc_stdlib.mjs <pyodide dir> <output zip> [<output snapshot>]. Exit 0 and the files
// written, or exit 1.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [indexDir, output, snapshotOutput] = process.argv.slice(2);
if (!indexDir || !output) {
  console.error("usage: node pyc_stdlib.mjs <pyodide dir> <output zip>");
  process.exit(1);
}
const indexURL = resolve(indexDir) + "/";
const { loadPyodide } = await import(pathToFileURL(indexURL + "pyodide.mjs").href);
const py = await loadPyodide({ indexURL, stdout: () => {}, stderr: (s) => console.error(s) });
const count = py.runPython(`
import importlib._bootstrap_external as ext
import importlib.util
import zipfile

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
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = 0o644 << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        out.writestr(entry, data)
compiled
`);
writeFileSync(output, py.FS.readFile("/tmp/stdlib-pyc.zip"));
console.log(`compiled ${count} modules into ${output}`);

if (snapshotOutput) {
  // The snapshot is only valid with this exact stdlib zip and Pyodide build (the site ships both).
  const snap = await loadPyodide({ indexURL, stdLibURL: resolve(output), _makeSnapshot: true, stdout: () => {} });
  snap.runPython(
    "import ast, collections.abc, dataclasses, decimal, json, math, re, shutil, typing, zipfile  # the engine's imports",
  );
  writeFileSync(snapshotOutput, snap.makeMemorySnapshot());
  console.log(`wrote the memory snapshot ${snapshotOutput}`);
}
