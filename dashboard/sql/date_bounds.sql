-- The first and last engagement dates in the warehouse (the date filter's range).
SELECT min(meeting_date) AS first, max(meeting_date) AS last FROM w.meetings
