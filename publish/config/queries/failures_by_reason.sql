select crawl_id, reason, count(*) as fetches, count(distinct url) as urls
from fetches
where outcome = 'failed'
group by crawl_id, reason
order by crawl_id desc, fetches desc
