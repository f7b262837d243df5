"""Shared by the boto3 scripts of test/extensions: clients signed with the test keys, and the
error a call raised as plain data."""
import boto3
from botocore.exceptions import ClientError

ADMIN = ("AKIAPARLORADMIN0", "admin-secret-0123456789abcdef")


def client(endpoint, service="parlor", keys=ADMIN):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=keys[0],
        aws_secret_access_key=keys[1],
    )


def error_of(call):
    """None when `call()` succeeds; else the error's code, HTTP status, fieldList (None when
    absent) and the exception class boto3 raised (modeled errors have their own)."""
    try:
        call()
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
            "fieldList": e.response.get("fieldList"),
            "modeled": type(e).__name__,
        }
    return None
