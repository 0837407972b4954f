"""Demo data: a province's plausible units, cooperatives, people and activities, generated from a
seed so that screenshots, tests and benchmarks see the same records every time. Nothing here is
used by an officer's real data; the store only receives what `generate.generate_demo` writes."""
