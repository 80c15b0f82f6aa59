select
  substr(posted, 1, 7) as month,
  count(*) as comments,
  count(distinct article_url) as articles,
  count(distinct author) as commenters
from comments
where posted glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
group by month
order by month desc
