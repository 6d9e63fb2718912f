-- sales (main/sales): 2 files, 20 rows, schema version 1
CREATE TABLE IF NOT EXISTS "sales" (
  "transaction_id" varchar,
  "timestamp" timestamp,
  "quantity" integer,
  "total" decimal(18,2),
  "_batch_id" varchar,
  "year" integer,
  "month" integer,
  "day" integer
)
WITH (
  format = 'PARQUET',
  external_location = 's3://my-bucket/lake/main/sales/',
  partitioned_by = ARRAY['year', 'month', 'day']
);

CALL system.sync_partition_metadata('default', 'sales', 'ADD');

-- raw_sales (raw/sales): 1 file, 5 rows, schema version 1
CREATE TABLE IF NOT EXISTS "raw_sales" (
  "total" decimal(18,2),
  "_raw" varbinary,
  "_truncated" boolean,
  "_record_index" bigint,
  "year" integer,
  "month" integer,
  "day" integer
)
WITH (
  format = 'PARQUET',
  external_location = 's3://my-bucket/lake/raw/sales/',
  partitioned_by = ARRAY['year', 'month', 'day']
);

CALL system.sync_partition_metadata('default', 'raw_sales', 'ADD');

-- highest_sold_product (main/highest_sold_product): 1 file, 359 rows, schema version 1
CREATE TABLE IF NOT EXISTS "highest_sold_product" (
  "rank" integer,
  "product_id" varchar,
  "units_sold" bigint,
  "total_sales" decimal(18,2),
  "day" date,
  "share" double
)
WITH (
  format = 'PARQUET',
  external_location = 's3://my-bucket/lake/main/highest_sold_product/'
);

CREATE OR REPLACE VIEW "higest_sold_product" AS SELECT * FROM "highest_sold_product";
