-- sales (main/sales): 2 files, 20 rows, schema version 1
CREATE EXTERNAL TABLE IF NOT EXISTS `sales` (
  `transaction_id` string,
  `timestamp` timestamp,
  `quantity` int,
  `total` decimal(18,2),
  `_batch_id` string
)
PARTITIONED BY (
  `year` int,
  `month` int,
  `day` int
)
STORED AS PARQUET
LOCATION 's3://my-bucket/lake/main/sales/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.year.type' = 'date',
  'projection.year.format' = 'yyyy',
  'projection.year.range' = '2026,NOW',
  'projection.year.interval' = '1',
  'projection.year.interval.unit' = 'YEARS',
  'projection.month.type' = 'integer',
  'projection.month.range' = '1,12',
  'projection.month.digits' = '2',
  'projection.day.type' = 'integer',
  'projection.day.range' = '1,31',
  'projection.day.digits' = '2',
  'storage.location.template' = 's3://my-bucket/lake/main/sales/year=${year}/month=${month}/day=${day}/'
);

-- raw_sales (raw/sales): 1 file, 5 rows, schema version 1
CREATE EXTERNAL TABLE IF NOT EXISTS `raw_sales` (
  `total` decimal(18,2),
  `_raw` binary,
  `_truncated` boolean,
  `_record_index` bigint
)
PARTITIONED BY (
  `year` int,
  `month` int,
  `day` int
)
STORED AS PARQUET
LOCATION 's3://my-bucket/lake/raw/sales/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.year.type' = 'date',
  'projection.year.format' = 'yyyy',
  'projection.year.range' = '2025,NOW',
  'projection.year.interval' = '1',
  'projection.year.interval.unit' = 'YEARS',
  'projection.month.type' = 'integer',
  'projection.month.range' = '1,12',
  'projection.month.digits' = '2',
  'projection.day.type' = 'integer',
  'projection.day.range' = '1,31',
  'projection.day.digits' = '2',
  'storage.location.template' = 's3://my-bucket/lake/raw/sales/year=${year}/month=${month}/day=${day}/'
);

-- highest_sold_product (main/highest_sold_product): 1 file, 359 rows, schema version 1
CREATE EXTERNAL TABLE IF NOT EXISTS `highest_sold_product` (
  `rank` int,
  `product_id` string,
  `units_sold` bigint,
  `total_sales` decimal(18,2),
  `day` date,
  `share` double
)
STORED AS PARQUET
LOCATION 's3://my-bucket/lake/main/highest_sold_product/';

CREATE OR REPLACE VIEW "higest_sold_product" AS SELECT * FROM "highest_sold_product";
