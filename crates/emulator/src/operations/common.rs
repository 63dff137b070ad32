//! What the operations share: the input and outcome types, and the generic get, batch get,
//! update, delete, create and list of a resource kept in its wire form.

use serde_json::{json, Map, Value};

use crate::error::EmulatorError;
use crate::generated;
use crate::pagination::{page, Order};
use crate::state::{Resource, ResourceKind, State};

pub type Input = Map<String, Value>;
pub type Outcome = Result<Value, EmulatorError>;

pub const MAX_TAGS: usize = 50;

/// A string member, or "" when absent (the model check has already enforced required members).
pub fn text<'a>(input: &'a Input, member: &str) -> &'a str {
    input
        .get(member)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub fn tags_of(input: &Input) -> Result<Value, EmulatorError> {
    let tags = input
        .get("tags")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    if tags.as_object().map_or(0, Map::len) > MAX_TAGS {
        return Err(EmulatorError::validation(format!(
            "Invalid length for parameter tags: a resource can have at most {MAX_TAGS} tags"
        )));
    }
    Ok(tags)
}

/// Only the listed members of a resource, as its summary in list operations.
pub fn summary(body: &Map<String, Value>, members: &[&str]) -> Value {
    Value::Object(
        members
            .iter()
            .filter_map(|member| Some((member.to_string(), body.get(*member)?.clone())))
            .collect(),
    )
}

/// Copies the members present in the input over the resource (everything except `arn`).
pub fn merge_update(body: &mut Map<String, Value>, input: &Input) {
    for (member, value) in input {
        if member != "arn" {
            body.insert(member.clone(), value.clone());
        }
    }
}

pub fn get_resource(state: &State, input: &Input, kind: ResourceKind, wrapper: &str) -> Outcome {
    let resource = state.get(kind, text(input, "arn"))?;
    Ok(json!({ wrapper: Value::Object(resource.body.clone()) }))
}

pub fn batch_get(state: &State, input: &Input, kind: ResourceKind, wrapper: &str) -> Outcome {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for arn in input["arns"].as_array().into_iter().flatten() {
        let arn = arn.as_str().unwrap_or_default();
        if !seen.insert(arn) {
            continue;
        }
        match state.get(kind, arn) {
            Ok(resource) => found.push(Value::Object(resource.body.clone())),
            Err(error) => errors.push(json!({
                "arn": arn, "code": error.code, "message": error.message
            })),
        }
    }
    Ok(json!({ wrapper: found, "errors": errors }))
}

pub fn update_resource(
    state: &mut State,
    input: &Input,
    kind: ResourceKind,
    wrapper: &str,
) -> Outcome {
    let resource = state.get_mut(kind, text(input, "arn"))?;
    merge_update(&mut resource.body, input);
    Ok(json!({ wrapper: Value::Object(resource.body.clone()) }))
}

/// Deletes a resource, refusing when a channel still refers to it. Answers with no body.
pub fn delete_resource(state: &mut State, input: &Input, kind: ResourceKind) -> Outcome {
    let arn = text(input, "arn");
    state.get(kind, arn)?;
    if let Some(member) = kind.channel_reference() {
        let in_use = state
            .list(ResourceKind::Channel)
            .iter()
            .any(|channel| channel.body[member] == arn);
        if in_use {
            return Err(EmulatorError::conflict(format!(
                "Resource: {arn} is in use by a channel and cannot be deleted"
            )));
        }
    }
    state.resources.remove(arn);
    state.playback_public_keys.remove(arn);
    Ok(Value::Null)
}

/// Creates a resource from IVS's defaults overlaid with the request's members.
pub fn create_from_defaults(
    state: &mut State,
    input: &Input,
    kind: ResourceKind,
    defaults: Value,
) -> Result<Value, EmulatorError> {
    let Value::Object(mut body) = defaults else {
        unreachable!("defaults are an object literal")
    };
    body.insert("arn".into(), json!(state.new_arn(kind)));
    merge_update(&mut body, input);
    body.insert("tags".into(), tags_of(input)?);
    Ok(state.insert(kind, body))
}

pub fn list_summaries(
    state: &State,
    input: &Input,
    operation: &'static str,
    kind: ResourceKind,
) -> Outcome {
    list_resources(operation, state.list(kind), input)
}

/// A page of resources as a list operation's items: each with only the members of the model's
/// summary of it (`ChannelSummary`...), oldest first.
pub fn list_resources(
    operation: &'static str,
    resources: Vec<&Resource>,
    input: &Input,
) -> Outcome {
    let members = item_members(operation)?;
    let items = resources
        .into_iter()
        .map(|resource| (resource.sequence, summary(&resource.body, members)))
        .collect();
    paged_response(operation, items, Order::OldestFirst, input)
}

/// The members of a list operation's items (the model's summary shape).
pub fn item_members(operation: &str) -> Result<&'static [&'static str], EmulatorError> {
    generated::list_item_members(operation).ok_or_else(|| {
        EmulatorError::internal(format!("{operation} is not a list operation of the model"))
    })
}

/// One page of a list operation's `items` under its result key (`channels`...), with the
/// `nextToken` of the next page.
pub fn paged_response(
    operation: &'static str,
    items: Vec<(u64, Value)>,
    order: Order,
    input: &Input,
) -> Outcome {
    let result_key = libivs_model::operation(operation)
        .and_then(|op| op.paginator)
        .map(|paginator| paginator.result_key)
        .ok_or_else(|| {
            EmulatorError::internal(format!("{operation} is not a paginated operation"))
        })?;
    let (items, next_token) = page(operation, items, order, input)?;
    let mut body = json!({ result_key: items });
    if let Some(token) = next_token {
        body["nextToken"] = Value::String(token);
    }
    Ok(body)
}
