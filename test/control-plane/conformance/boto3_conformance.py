"""Conformance of Parlor's control plane with boto3, called exactly as the boto3 docs write it.

Usage: python3 boto3_conformance.py <endpoint-url>
Every check is an assert; on success the last line printed is a JSON summary the Node test
reads. Exit status 0 = all checks passed.
"""
import datetime
import json
import sys

import boto3
from botocore.exceptions import ClientError, ParamValidationError

ENDPOINT = sys.argv[1]
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:review"


def client(region="us-east-1"):
    return boto3.client(
        "ivschat",
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret",
    )


def error_of(call, *args, **kwargs):
    """The ClientError a call raises (fails the run if it succeeds)."""
    try:
        call(*args, **kwargs)
    except ClientError as e:
        return e
    raise AssertionError(f"{call.__name__} succeeded, expected an error")


ivschat = client()
checks = []

# --- create_room / update_room exactly as documented -------------------------------------------
log = ivschat.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "boto-logs"}}, name="boto")
assert log["state"] == "ACTIVE"
room = ivschat.create_room(name="boto-room", tags={"team": "py"})
assert room["ResponseMetadata"]["HTTPStatusCode"] == 200
assert room["ResponseMetadata"]["RequestId"]
assert room["maximumMessageRatePerSecond"] == 10 and room["maximumMessageLength"] == 500
assert isinstance(room["createTime"], datetime.datetime) and room["createTime"].tzinfo is not None

updated = ivschat.update_room(
    identifier=room["arn"],
    name="string",
    maximumMessageRatePerSecond=100,
    maximumMessageLength=123,
    messageReviewHandler={"uri": LAMBDA, "fallbackResult": "DENY"},
    loggingConfigurationIdentifiers=[log["arn"]],
)
assert updated["name"] == "string"
assert updated["maximumMessageRatePerSecond"] == 100
assert updated["maximumMessageLength"] == 123
assert updated["messageReviewHandler"] == {"uri": LAMBDA, "fallbackResult": "DENY"}
assert updated["loggingConfigurationIdentifiers"] == [log["arn"]]
assert updated["tags"] == {"team": "py"}
assert updated["arn"] == room["arn"] and updated["id"] == room["id"]
assert updated["createTime"] == room["createTime"]
assert updated["updateTime"] > room["updateTime"]
got = ivschat.get_room(identifier=room["arn"])
for key in ("name", "maximumMessageRatePerSecond", "maximumMessageLength", "messageReviewHandler", "loggingConfigurationIdentifiers", "updateTime"):
    assert got[key] == updated[key], key
checks.append("update_room")

# Only the members sent change; an empty uri removes the handler; [] clears the logging list.
partial = ivschat.update_room(identifier=room["arn"], messageReviewHandler={"uri": ""}, loggingConfigurationIdentifiers=[])
assert "messageReviewHandler" not in partial
assert partial["loggingConfigurationIdentifiers"] == []
assert partial["name"] == "string" and partial["maximumMessageLength"] == 123
assert partial["updateTime"] > updated["updateTime"]
checks.append("update_room_partial")

# The documented example values (rate 123) are beyond the model's range: the server says so.
e = error_of(ivschat.update_room, identifier=room["arn"], name="string", maximumMessageRatePerSecond=123, maximumMessageLength=123)
assert e.response["Error"]["Code"] == "ValidationException"
assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
assert e.response["reason"] == "FIELD_VALIDATION_FAILED"
assert [f["name"] for f in e.response["fieldList"]] == ["maximumMessageRatePerSecond"]
e = error_of(ivschat.update_room, identifier=room["arn"], name="bad name", maximumMessageLength=501)
assert sorted(f["name"] for f in e.response["fieldList"]) == ["maximumMessageLength", "name"]
try:
    ivschat.update_room(identifier=room["arn"], maximumMessageLength=0)
    raise AssertionError("botocore should refuse 0 before sending")
except ParamValidationError:
    pass
checks.append("validation_errors")

# --- errors through ClientError and the modeled exception classes ------------------------------
missing = room["arn"][: -len(room["id"])] + "Missing00001"
e = error_of(ivschat.get_room, identifier=missing)
assert e.response["Error"]["Code"] == "ResourceNotFoundException"
assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
assert e.response["resourceId"] == "Missing00001" and e.response["resourceType"] == "ROOM"
try:
    ivschat.update_room(identifier=missing, name="x")
    raise AssertionError("expected ResourceNotFoundException")
except ivschat.exceptions.ResourceNotFoundException:
    pass
e = error_of(ivschat.get_room, identifier="arn:aws:ivschat:us-east-1:210987654321:room/Missing00001")
assert e.response["Error"]["Code"] == "AccessDeniedException" and e.response["ResponseMetadata"]["HTTPStatusCode"] == 403
in_use = ivschat.create_room(loggingConfigurationIdentifiers=[log["arn"]])
e = error_of(ivschat.delete_logging_configuration, identifier=log["arn"])
assert e.response["Error"]["Code"] == "ConflictException" and e.response["ResponseMetadata"]["HTTPStatusCode"] == 409
deleted = ivschat.delete_room(identifier=in_use["arn"])
assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
assert ivschat.delete_logging_configuration(identifier=log["arn"])["ResponseMetadata"]["HTTPStatusCode"] == 204
quota = client("ap-northeast-3")
for i in range(10):
    quota.create_logging_configuration(destinationConfiguration={"firehose": {"deliveryStreamName": f"s{i}"}})
e = error_of(quota.create_logging_configuration, destinationConfiguration={"cloudWatchLogs": {"logGroupName": "g"}})
assert e.response["Error"]["Code"] == "ServiceQuotaExceededException"
assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 402 and e.response["limit"] == 10
checks.append("errors")

# --- list_rooms paging ------------------------------------------------------------------------
paging = client("eu-west-3")
arns = [paging.create_room(name=f"page{i}")["arn"] for i in range(7)]
seen, token, pages = [], None, 0
while True:
    kwargs = {"maxResults": 3}
    if token:
        kwargs["nextToken"] = token
    page = paging.list_rooms(**kwargs)
    pages += 1
    seen += [r["arn"] for r in page["rooms"]]
    token = page.get("nextToken")
    if not token:
        break
assert pages == 3 and len(seen) == 7 and sorted(seen) == sorted(arns)
times = [r["updateTime"] for r in paging.list_rooms()["rooms"]]
assert times == sorted(times, reverse=True)
assert [r["name"] for r in paging.list_rooms(name="page4")["rooms"]] == ["page4"]
e = error_of(paging.list_rooms, nextToken="not-a-token")
assert e.response["Error"]["Code"] == "ValidationException"
checks.append("list_rooms_paging")

# --- tags ---------------------------------------------------------------------------------------
arn = room["arn"]
assert ivschat.tag_resource(resourceArn=arn, tags={"a": "1", "b": "2", "with space": "x/y"})["ResponseMetadata"]["HTTPStatusCode"] == 200
assert ivschat.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "py", "a": "1", "b": "2", "with space": "x/y"}
ivschat.untag_resource(resourceArn=arn, tagKeys=["a", "with space", "never"])
ivschat.untag_resource(resourceArn=arn, tagKeys=[])
assert ivschat.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "py", "b": "2"}
e = error_of(ivschat.list_tags_for_resource, resourceArn=missing)
assert e.response["Error"]["Code"] == "ResourceNotFoundException"
checks.append("tags")

# --- regions --------------------------------------------------------------------------------------
west = client("us-west-2").create_room(name="west")
assert west["arn"].startswith("arn:aws:ivschat:us-west-2:123456789012:room/")
assert error_of(ivschat.get_room, identifier=west["arn"]).response["Error"]["Code"] == "ResourceNotFoundException"
checks.append("regions")

print(json.dumps({"ok": True, "checks": checks, "roomArn": room["arn"], "boto3": boto3.__version__}))
