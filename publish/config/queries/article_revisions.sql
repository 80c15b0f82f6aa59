select
  r.revision,
  r.fetched_at,
  r.source,
  r.crawl_id,
  r.flags,
  r.title,
  r.word_count,
  r.extractor,
  text_diff(
    lag(r.title || char(10) || r.text) over (order by r.revision),
    r.title || char(10) || r.text
  ) as diff,
  r.url
from revisions as r
where r.url = :url
order by r.revision
