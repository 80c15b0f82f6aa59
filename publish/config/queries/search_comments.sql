select
  snippet(comments_fts, -1, '<mark>', '</mark>', '…', 32) as snippet,
  c.author,
  c.posted,
  a.title,
  c.article_url as url
from comments_fts
join comments as c on c.id = comments_fts.rowid
left join articles as a on a.url = c.article_url
where comments_fts match escape_fts(:q)
order by comments_fts.rank
limit 100
