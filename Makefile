# MotCua: two commands. `make run` serves the demo province; `make test` runs everything.
.PHONY: run test build demo bench clean

DOSSIERS ?= 3000

run:
	@scripts/ensure-packages.sh run
	@echo "==> building release binary (first build takes several minutes)"
	@swift build -c release 2>&1 | grep -E "error:|Compiling motcua|Build complete" || true
	@swift build -c release >/dev/null
	@.build/release/motcua migrate
	@.build/release/motcua demo --dossiers $(DOSSIERS)
	@.build/release/motcua pki init
	@scripts/serve-demo.sh

test:
	@scripts/test.sh

build:
	@swift build

bench:
	@swift build -c release >/dev/null
	@.build/release/motcua bench intake --dossiers 2000
	@scripts/pg.sh start && DATABASE_URL=$$(scripts/pg.sh url) .build/release/motcua bench intake --dossiers 2000; scripts/pg.sh stop

clean:
	@rm -rf .build data .pgtest
