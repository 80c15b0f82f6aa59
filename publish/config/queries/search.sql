select
  a.title,
  snippet(articles_fts, -1, '<mark>', '</mark>', '…', 32) as snippet,
  a.published,
  a.author,
  a.site,
  a.category,
  a.url
from articles_fts
join articles as a on a.rowid = articles_fts.rowid
where articles_fts match escape_fts(:q)
  and articles_fts.rank match 'bm25(10.0, 5.0, 1.0)'
order by articles_fts.rank
limit 100
