"""A trigram index over the portal log's searchable text (SQLite; PostgreSQL searches by scanning, for now).

The index only narrows the rows a search reads: each candidate is still checked with the same LIKE as before,
so what a search finds does not change. `detail=none` keeps the index about a third of the table's size.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

COLUMNS = 'message, family_name, contact_name, user_id, contact_email'
NEW = ', '.join(f'new.{column}' for column in COLUMNS.split(', '))
OLD = ', '.join(f'old.{column}' for column in COLUMNS.split(', '))


async def log_search_index(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect != 'sqlite':
        return
    await client.execute_script(
        f"CREATE VIRTUAL TABLE portal_event_text USING fts5({COLUMNS}, content='portal_event', "
        "content_rowid='id', tokenize='trigram', detail='none');"
        f'CREATE TRIGGER portal_event_text_insert AFTER INSERT ON portal_event BEGIN '
        f'INSERT INTO portal_event_text(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END;'
        f'CREATE TRIGGER portal_event_text_delete AFTER DELETE ON portal_event BEGIN '
        f"INSERT INTO portal_event_text(portal_event_text, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END;"
        f'CREATE TRIGGER portal_event_text_update AFTER UPDATE ON portal_event BEGIN '
        f"INSERT INTO portal_event_text(portal_event_text, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
        f'INSERT INTO portal_event_text(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END;'
        "INSERT INTO portal_event_text(portal_event_text) VALUES ('rebuild');"
    )


class Migration(migrations.Migration):
    dependencies = [('kinroll', '0004_payments')]

    initial = False

    operations = [ops.RunPython(log_search_index)]
