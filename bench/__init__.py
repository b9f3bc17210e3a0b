"""`python -m bench` (`make bench`): builds a dataset at the client's scale and measures the money path over HTTP.

See bench/README.md."""
