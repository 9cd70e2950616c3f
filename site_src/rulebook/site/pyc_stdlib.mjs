// Build a stdlib zip of precompiled .pyc files inside Pyodide itself, under Node.
//
// Why: the npm python_stdlib.zip holds only .py sources, so every browser boot compiles ~130
// modules inside wasm (seconds). Compiling them here, with the very interpreter the browser runs,
// gives bytecode with the right magic number; the calculator passes the result as stdLibURL.
// Usage: node pyc_stdlib.mjs <pyodide dir> <output zip>. Exit 0 and the zip written, or exit 1.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [indexDir, output] = process.argv.slice(2);
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
