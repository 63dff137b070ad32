# The c face's targets, included by the top Makefile.
.PHONY: test-c demo-c bench-c lint-c
test-c:
	@echo "c face: no tests yet"
demo-c:
	@echo "c face: no demo yet"
bench-c:
	@echo "c face: no benchmark yet"
lint-c:
	@true
