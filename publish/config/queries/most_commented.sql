select
  a.title,
  count(*) as comments_archived,
  a.comment_count as comments_shown,
  max(c.posted) as last_comment,
  a.published,
  a.url
from comments as c
join articles as a on a.url = c.article_url
group by c.article_url
order by comments_archived desc, a.published desc
limit 100
