select
  substr(published, 1, 7) as month,
  count(*) as articles,
  sum(paywalled) as paywalled
from articles
where published glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
group by month
order by month desc
