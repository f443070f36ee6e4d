-- Incident listings page, count and facet in SQL: this index covers every
-- column their filters, orders and counts read, so none of them reads the
-- incidents' JSON.
CREATE INDEX ledger_incidents_listing
    ON ledger_incidents (sort_day, id, region, grade, first_day, last_day, killed_max);
