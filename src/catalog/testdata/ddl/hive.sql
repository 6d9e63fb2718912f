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
LOCATION 's3://my-bucket/lake/main/sales/';

ALTER TABLE `sales` ADD IF NOT EXISTS
  PARTITION (`year`=2026, `month`=5, `day`=1) LOCATION 's3://my-bucket/lake/main/sales/year=2026/month=05/day=01/'
  PARTITION (`year`=2026, `month`=5, `day`=2) LOCATION 's3://my-bucket/lake/main/sales/year=2026/month=05/day=02/';

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
LOCATION 's3://my-bucket/lake/raw/sales/';

ALTER TABLE `raw_sales` ADD IF NOT EXISTS
  PARTITION (`year`=2025, `month`=12, `day`=31) LOCATION 's3://my-bucket/lake/raw/sales/year=2025/month=12/day=31/';

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

CREATE VIEW IF NOT EXISTS `higest_sold_product` AS SELECT * FROM `highest_sold_product`;
