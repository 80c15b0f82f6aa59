select
  a.title,
  a.url,
  count(r.id) as versions,
  max(r.fetched_at) as last_version,
  a.flags,
  a.status,
  a.gone_since
from articles as a
join revisions as r on r.url = a.url
group by a.url
having count(r.id) > 1 or a.flags is not null or a.status = 'gone'
order by coalesce(a.gone_since, max(r.fetched_at)) desc
limit 500
