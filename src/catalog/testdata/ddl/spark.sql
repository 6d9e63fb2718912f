-- sales (main/sales): 2 files, 20 rows, schema version 1
CREATE TABLE IF NOT EXISTS `sales` (
  `transaction_id` STRING,
  `timestamp` TIMESTAMP,
  `quantity` INT,
  `total` DECIMAL(18,2),
  `_batch_id` STRING,
  `year` INT,
  `month` INT,
  `day` INT
)
USING PARQUET
PARTITIONED BY (`year`, `month`, `day`)
LOCATION 's3://my-bucket/lake/main/sales/';

MSCK REPAIR TABLE `sales`;

-- raw_sales (raw/sales): 1 file, 5 rows, schema version 1
CREATE TABLE IF NOT EXISTS `raw_sales` (
  `total` DECIMAL(18,2),
  `_raw` BINARY,
  `_truncated` BOOLEAN,
  `_record_index` BIGINT,
  `year` INT,
  `month` INT,
  `day` INT
)
USING PARQUET
PARTITIONED BY (`year`, `month`, `day`)
LOCATION 's3://my-bucket/lake/raw/sales/';

MSCK REPAIR TABLE `raw_sales`;

-- highest_sold_product (main/highest_sold_product): 1 file, 359 rows, schema version 1
CREATE TABLE IF NOT EXISTS `highest_sold_product` (
  `rank` INT,
  `product_id` STRING,
  `units_sold` BIGINT,
  `total_sales` DECIMAL(18,2),
  `day` DATE,
  `share` DOUBLE
)
USING PARQUET
LOCATION 's3://my-bucket/lake/main/highest_sold_product/';

CREATE OR REPLACE VIEW `higest_sold_product` AS SELECT * FROM `highest_sold_product`;
