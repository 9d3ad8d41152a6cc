"""A realistic, seeded demo organisation for `manage.py seed_demo`.

Data modules (`organisation`, `grades`, `professions`, `names`, `job_titles`,
`logins`) hold plain values; `generator` turns them and a seed into people without
touching the database; `loader` writes everything in bulk.
"""
