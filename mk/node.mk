# The node face's targets, included by the top Makefile.
.PHONY: test-node demo-node bench-node lint-node
test-node:
	@echo "node face: no tests yet"
demo-node:
	@echo "node face: no demo yet"
bench-node:
	@echo "node face: no benchmark yet"
lint-node:
	@true
