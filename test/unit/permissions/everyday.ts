/**
 * Everyday read-only commands a coding agent runs, with the workspace they run in. Shared by the unit test
 * (the share still auto-allowed must stay >= 0.95 in every mode) and the benchmark
 * (`permission_readonly_allowed`, `parse_p95_us`). A few are expected to ask in this workspace (a recursive
 * grep over a folder holding `.env`, a variable expansion): that is the engine working, and they count against
 * the share.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const EVERYDAY: string[] = [
  // ls
  'ls', 'ls -la', 'ls -l src', 'ls -al src/lib', 'ls -1', 'ls -lh', 'ls -R src', 'ls -lt', 'ls -la --color=never', 'ls -d */', 'ls *.json', 'ls src/*.ts',
  'ls -lS', 'ls -A', 'ls .', 'ls -lah src docs', 'ls -F', 'ls --group-directories-first', 'ls -i src', 'ls -la src/lib/',
  // cat, head, tail, wc
  'cat README.md', 'cat src/index.ts', 'cat -n src/app.ts', 'cat package.json', 'cat src/*.ts', 'head src/index.ts', 'head -n 20 src/app.ts', 'head -20 README.md',
  'head -c 100 src/app.ts', 'tail src/app.ts', 'tail -n 50 src/app.ts', 'tail -5 README.md', 'tail -n +10 src/app.ts', 'wc -l src/*.ts', 'wc -l src/index.ts',
  'wc README.md', 'wc -c package.json', 'wc -lw src/app.ts', 'cat tsconfig.json', 'head -n 30 package.json', 'cat docs/guide.md', 'tail -n 100 logs/app.log',
  'cat .gitignore', 'cat src/lib/util.ts src/lib/math.ts', 'head -q -n 1 src/*.ts',
  // grep
  'grep foo src/app.ts', 'grep -n TODO src/app.ts', 'grep -rn TODO src', 'grep -r "import" src', 'grep -ril "todo" src', 'grep -c function src/app.ts',
  'grep -E "foo|bar" src/app.ts', 'grep -w main src/index.ts', 'grep -v "^#" .gitignore', 'grep -rn --include="*.ts" useState src', 'grep -l export src/*.ts',
  'grep -in error logs/app.log', 'grep -A 3 -B 2 "function" src/app.ts', 'grep -C2 TODO src/app.ts', 'grep -o "[0-9]+" src/app.ts', 'grep -rnw "add" src/lib',
  'grep -h import src/*.ts', 'grep -rn "describe(" test', 'grep -e foo -e bar src/app.ts', 'grep -F "a.b" src/app.ts', 'grep -q main src/index.ts',
  'grep --color=never -n main src/index.ts', 'grep -rn TODO .', 'grep -rn foo src --exclude-dir=node_modules', 'grep -m 5 import src/app.ts', 'grep -rl TODO src test',
  // ripgrep
  'rg foo', 'rg TODO src', 'rg -n "function" src', 'rg -i todo', 'rg -l import', 'rg --files', 'rg --files src', 'rg -t ts useState', 'rg -g "*.ts" import',
  'rg -w add src/lib', 'rg -c import src', 'rg -F "a.b"', 'rg -S Foo', 'rg -A 2 TODO', 'rg --json foo src', 'rg --no-heading -n foo', 'rg -uu foo src',
  'rg -e foo -e bar', 'rg --hidden foo src', 'rg -tts -n export', 'rg --type-list',
  // find
  'find . -name "*.ts"', 'find src -type f', 'find . -type d -name node_modules -prune -o -type f -print', 'find src -name "*.test.ts"', 'find . -maxdepth 2 -type f',
  'find . -iname "readme*"', 'find src -newer package.json', 'find . -size +1M', 'find . -type f -name "*.json" -not -path "./node_modules/*"', 'find src -mtime -1',
  'find . -empty', 'find src -type f -print0', 'find . -path ./node_modules -prune -o -name "*.md" -print', 'find src -name "*.ts" | head', 'find src -name "*.ts" | wc -l',
  // git
  'git status', 'git status -s', 'git status --short', 'git status --porcelain', 'git log', 'git log --oneline', 'git log --oneline -10', 'git log -5',
  'git log -n 3 --stat', 'git log --graph --oneline --all', 'git log -p src/app.ts', 'git log --author=alice', 'git log --since="2 weeks ago"',
  'git log --format="%h %s"', 'git log --pretty=oneline', 'git log -1 --format=%H', 'git diff', 'git diff --stat', 'git diff --cached', 'git diff --staged',
  'git diff HEAD~1', 'git diff main...HEAD', 'git diff -- src/app.ts', 'git diff --name-only', 'git diff --name-status HEAD~3', 'git diff -U5 src/app.ts',
  'git diff --word-diff', 'git show', 'git show HEAD', 'git show HEAD~1 --stat', 'git show HEAD:src/app.ts', 'git show --name-only HEAD', 'git blame src/app.ts',
  'git blame -L 1,20 src/app.ts', 'git branch', 'git branch -a', 'git branch -vv', 'git branch --show-current', 'git remote -v', 'git rev-parse HEAD',
  'git rev-parse --abbrev-ref HEAD', 'git rev-parse --show-toplevel', 'git ls-files', 'git ls-files src', 'git describe --tags', 'git tag', 'git tag -l',
  'git stash list', 'git shortlog -sn', 'git log --oneline | head -20', 'git grep -n TODO', 'git grep foo -- src', 'git cat-file -p HEAD', 'git merge-base HEAD main',
  'git log --follow src/app.ts', 'git --no-pager log -3', 'git -C src status', 'git rev-list --count HEAD', 'git show-ref', 'git for-each-ref --sort=-committerdate refs/heads',
  'git diff --stat main', 'git log --oneline main..HEAD', 'git status -sb',
  // everything else
  'pwd', 'echo hello', 'echo "done"', 'which node', 'whoami', 'date', 'date +%Y-%m-%d', 'uname -a', 'id', 'du -sh src', 'du -h --max-depth=1', 'df -h', 'tree src',
  'tree -L 2', 'tree -a -I node_modules', 'stat src/app.ts', 'file src/app.ts', 'diff src/a.ts src/b.ts', 'diff -u src/lib/util.ts src/lib/math.ts',
  'sort data/words.txt', 'sort -u data/words.txt', 'sort -n -r data/nums.txt', 'sort -k2 -t, data/table.csv', 'uniq data/words.txt', 'sort data/words.txt | uniq -c',
  'cut -d, -f1 data/table.csv', 'cat data/table.csv | cut -d, -f2', 'basename src/app.ts', 'dirname src/app.ts', 'realpath src', 'readlink -f src/app.ts', 'seq 1 10',
  'nl src/app.ts', 'od -c src/app.ts | head', 'xxd src/app.ts | head', 'xxd -l 64 src/app.ts', 'sha256sum package.json', 'md5sum src/*.ts', 'jq . package.json',
  'jq -r .name package.json', "jq '.scripts' package.json", 'column -t data/table.txt', 'comm -12 data/a.txt data/b.txt', 'tac src/app.ts', 'rev data/words.txt',
  'strings src/app.ts | head', 'test -f package.json', '[ -d src ]', 'true', 'git status && git diff --stat', 'ls src | wc -l', 'cat src/app.ts | grep import',
  'printf "%s\\n" a b', 'hexdump -C src/app.ts | head', 'cmp src/a.ts src/b.ts', 'paste data/a.txt data/b.txt', 'fold -w 80 README.md', 'expand src/app.ts',
  'node --version', 'npm --version', 'python3 --version', 'echo $HOME', 'ls -la 2>/dev/null', 'git log --oneline 2>&1 | head -5', 'wc -l src/*.ts | sort -n',
  'cat package.json | jq .dependencies', 'grep -rn "export" src | wc -l', 'ls -la src && ls -la test', 'head -n 5 src/*.ts', 'tail -f logs/app.log',
];

const FILES: Record<string, string> = {
  'README.md': '# demo\n\nA demo workspace.\n', 'package.json': '{ "name": "demo", "scripts": { "test": "vitest" }, "dependencies": {} }\n', 'tsconfig.json': '{}\n',
  '.gitignore': 'node_modules\n.env\n', '.env': 'API_KEY=not-a-real-key-0123456789\n', 'src/index.ts': 'export const main = 1;\n',
  'src/app.ts': 'import { add } from "./lib/math";\n// TODO: more\nexport function app() { return add(1, 2); }\n', 'src/a.ts': 'a\n', 'src/b.ts': 'b\n',
  'src/lib/util.ts': 'export const u = 1;\n', 'src/lib/math.ts': 'export function add(a: number, b: number) { return a + b; }\n',
  'src/app.test.ts': 'describe("app", () => {});\n', 'test/app.test.ts': 'describe("x", () => {});\n', 'docs/guide.md': '# guide\n', 'logs/app.log': 'error: x\n',
  'data/words.txt': 'b\na\nb\n', 'data/nums.txt': '3\n1\n2\n', 'data/table.csv': 'a,b\nc,d\n', 'data/table.txt': 'a b\nc d\n', 'data/a.txt': 'a\n', 'data/b.txt': 'b\n',
  // A real-looking repository: git reads its configuration from here, which the agent cannot write unasked.
  '.git/HEAD': 'ref: refs/heads/main\n', '.git/config': '[core]\n\trepositoryformatversion = 0\n', '.git/objects/.keep': '', '.git/refs/heads/.keep': '',
  'node_modules/x/index.js': 'module.exports = 1;\n',
};

/** Lay out the everyday workspace under `root`. */
export function makeEverydayWorkspace(root: string): void {
  for (const [rel, content] of Object.entries(FILES)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}
