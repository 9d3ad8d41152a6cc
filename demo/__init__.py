"""A realistic, seeded demo organisation for `manage.py seed_demo`.

The top layer: it writes through every app below it (profiles, spaces, search)
and no app imports it.

Data modules (`organisation`, `grades`, `professions`, `names`, `job_titles`,
`skills`, `places`, `about`, `logins`, `spaces`) hold plain values; `generator`
turns them and a seed into people and `details` into what those people wrote on
their profiles, both without touching the database; `reference` and `loader` write
everything in bulk, `spaces_loader` adds the spaces through the spaces services,
and `messages_loader` writes the discussions `conversations` draws from `messages`
in bulk.
"""
