//! Tags of any resource: ListTagsForResource, TagResource, UntagResource.

use serde_json::{json, Map, Value};

use super::common::{text, Input, Outcome, MAX_TAGS};
use crate::error::EmulatorError;
use crate::state::State;

fn tagged_resource<'a>(
    state: &'a mut State,
    input: &Input,
) -> Result<&'a mut Map<String, Value>, EmulatorError> {
    let arn = text(input, "resourceArn");
    let resource = state
        .resources
        .get_mut(arn)
        .ok_or_else(|| EmulatorError::no_such_resource(arn))?;
    let tags = resource
        .body
        .entry("tags")
        .or_insert_with(|| Value::Object(Map::new()));
    if !tags.is_object() {
        *tags = Value::Object(Map::new());
    }
    Ok(tags.as_object_mut().expect("tags were just made an object"))
}

pub fn list_tags(state: &mut State, input: &Input) -> Outcome {
    let tags = tagged_resource(state, input)?;
    Ok(json!({ "tags": Value::Object(tags.clone()) }))
}

pub fn tag_resource(state: &mut State, input: &Input) -> Outcome {
    let tags = tagged_resource(state, input)?;
    let mut merged = tags.clone();
    for (key, value) in input["tags"].as_object().into_iter().flatten() {
        merged.insert(key.clone(), value.clone());
    }
    if merged.len() > MAX_TAGS {
        return Err(EmulatorError::validation(format!(
            "Invalid length for parameter tags: a resource can have at most {MAX_TAGS} tags"
        )));
    }
    *tags = merged;
    Ok(json!({}))
}

pub fn untag_resource(state: &mut State, input: &Input) -> Outcome {
    let tags = tagged_resource(state, input)?;
    for key in input["tagKeys"].as_array().into_iter().flatten() {
        if let Some(key) = key.as_str() {
            tags.remove(key);
        }
    }
    Ok(json!({}))
}
