"""Demo data: the real Mass Line campaign (党的群众路线教育实践活动) as loaded by `manage.py load_demo`.

The five directive texts live verbatim in `seeds/`; the modules beside them describe
what the loader builds from them: directives, the unit tree, supervision groups,
requirements, reference data and demo accounts.
"""
