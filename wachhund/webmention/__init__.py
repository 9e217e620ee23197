"""Sending Webmentions (W3C Recommendation, 12 January 2017), without the network:
where a cited page's endpoint is (discovery), which posts are published and what they
cite (posts), and what was sent (state). `make webmention` does the requests."""
