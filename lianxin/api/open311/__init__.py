"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

Every resource answers in XML (`.xml`) and JSON (`.json`). Services are the active
second-level categories; a request is a case (service_request_id = the case number, status
open or closed, status_notes from its latest public timeline entry). Where Lianxin decides
something the specification leaves open, README "Open interfaces" says what and why."""
