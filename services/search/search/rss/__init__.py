"""RSS: every indexer's newest releases polled on a schedule and published, and judging releases found so."""
