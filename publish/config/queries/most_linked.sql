select
  a.title,
  count(*) as inbound_links,
  a.published,
  a.site,
  a.url
from links as l
join articles as a on a.url = l.to_url
where l.section = 'in_other_news'
group by l.to_url
order by inbound_links desc, a.published desc
limit 100
