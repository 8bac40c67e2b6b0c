"""`yjzl compute`: every indicator over one or thousands of submissions.

(The package is `yjzl.batch` so that `yjzl.compute` stays the library function.)

inputs.py expands files, folders and globs; worker.py reads one file into
submissions; trends.py pairs periods for growth and change; groups.py adds up
a group's numerators and denominators; scoring.py applies a province's weights;
run.py puts them together; rows.py and formats.py lay the result out.
"""
