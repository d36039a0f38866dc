import importlib
import sys

from lianxin.bench import BENCHES


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmarks: {', '.join(unknown)}; known: {', '.join(BENCHES)}")
        return 2
    results = []
    for name in names or list(BENCHES):
        print(f"== {name}", flush=True)
        for result in importlib.import_module(BENCHES[name]).run():
            print(result.line(), flush=True)
            results.append(result)
    if not BENCHES:
        print("no benchmarks registered")
    missed = [r for r in results if r.met is False]
    print(f"== {len(results)} results, {len(missed)} targets not met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
