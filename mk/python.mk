# The python face's targets, included by the top Makefile.
.PHONY: test-python demo-python bench-python lint-python
test-python:
	@echo "python face: no tests yet"
demo-python:
	@echo "python face: no demo yet"
bench-python:
	@echo "python face: no benchmark yet"
lint-python:
	@true
