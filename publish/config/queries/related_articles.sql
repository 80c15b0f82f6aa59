select * from (
  select 'out' as direction, l.section, a.title, l.anchor, a.published, l.to_url as url
  from links as l
  left join articles as a on a.url = l.to_url
  where l.from_url = :url and l.section in ('in_other_news', 'more_news')
  union all
  select 'in', l.section, a.title, l.anchor, a.published, l.from_url
  from links as l
  join articles as a on a.url = l.from_url
  where l.to_url = :url
)
order by direction = 'in', section, published desc
