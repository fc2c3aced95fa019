"""Bulk import and export of member organisations and their memberships, for staff.

`reader` turns an uploaded file (as French offices produce them) into rows, `members` checks
every row and plans the writes (a preview), then applies them in one transaction; `export`
writes changelists back out as CSV with the same columns, so an export can be re-imported.
"""
