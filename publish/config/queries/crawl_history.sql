select
  id,
  started,
  finished,
  cast(round((julianday(finished) - julianday(started)) * 86400) as integer) as seconds,
  finish_reason,
  pages_fetched,
  articles_new,
  articles_updated,
  articles_unchanged,
  articles_flagged,
  articles_gone,
  not_modified,
  comments_saved,
  failures,
  seeds
from crawls
order by id desc
