"""National-scale demo data: synthetic clusters, organisations and memberships, all marked `is_demo`.

`generate_demo_data()` and `delete_demo_data()` are the service behind the
`generate_demo_data` management command (see `directory.demo.generator`).
"""

from directory.demo.generator import DemoDataError, DemoReport, delete_demo_data, generate_demo_data

__all__ = ["DemoDataError", "DemoReport", "delete_demo_data", "generate_demo_data"]
