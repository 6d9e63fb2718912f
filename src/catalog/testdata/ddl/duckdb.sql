-- sales (main/sales): 2 files, 20 rows, schema version 1
CREATE OR REPLACE VIEW "sales" AS
SELECT * FROM read_parquet('s3://my-bucket/lake/main/sales/year=*/month=*/day=*/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER}, union_by_name = true);

-- raw_sales (raw/sales): 1 file, 5 rows, schema version 1
CREATE OR REPLACE VIEW "raw_sales" AS
SELECT * FROM read_parquet('s3://my-bucket/lake/raw/sales/year=*/month=*/day=*/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER}, union_by_name = true);

-- highest_sold_product (main/highest_sold_product): 1 file, 359 rows, schema version 1
CREATE OR REPLACE VIEW "highest_sold_product" AS
SELECT * FROM read_parquet('s3://my-bucket/lake/main/highest_sold_product/*.parquet', hive_partitioning = false, union_by_name = true);

CREATE OR REPLACE VIEW "higest_sold_product" AS SELECT * FROM "highest_sold_product";
