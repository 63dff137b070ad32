//! The main job on the embedded emulator, in Rust: create a channel, broadcast to it, read the
//! stream, page through channels, clean up. `make demo-rust`.

use libivs_core::{Client, ClientConfig, Emulator, EmulatorConfig, PaginationConfig, Paginator};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let client = Client::new(ClientConfig::for_emulator(&emulator))?;
    println!("[rust] emulator at {}", emulator.url());

    let created = client.call_blocking(
        "CreateChannel",
        json!({"name": "rust-demo", "latencyMode": "LOW", "tags": {"lang": "rust"}}),
    )?;
    let channel_arn = created.output["channel"]["arn"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let stream_key = created.output["streamKey"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    println!("[rust] created {channel_arn}");

    // A simulated broadcaster goes live with the channel's stream key.
    emulator.start_stream(&stream_key)?;
    let stream = client.call_blocking("GetStream", json!({"channelArn": channel_arn}))?;
    println!(
        "[rust] stream {} is {} ({})",
        stream.output["stream"]["streamId"],
        stream.output["stream"]["state"],
        stream.output["stream"]["health"]
    );
    let session = client.call_blocking("GetStreamSession", json!({"channelArn": channel_arn}))?;
    let events = session.output["streamSession"]["truncatedEvents"]
        .as_array()
        .map_or(0, Vec::len);
    println!("[rust] session has {events} events");

    for i in 0..4 {
        client.call_blocking("CreateChannel", json!({"name": format!("rust-extra-{i}")}))?;
    }
    let config = PaginationConfig {
        page_size: Some(2),
        ..Default::default()
    };
    let mut pages = Paginator::new(&client, "ListChannels", json!({}), config)?;
    let mut count = 0;
    while let Some(page) = pages.next_page_blocking() {
        let page = page?;
        let names: Vec<&str> = page.output["channels"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str())
            .collect();
        count += 1;
        println!("[rust] page {count}: {names:?}");
    }

    client.call_blocking("StopStream", json!({"channelArn": channel_arn}))?;
    let mut items = Paginator::new(
        &client,
        "ListChannels",
        json!({}),
        PaginationConfig::default(),
    )?
    .into_items();
    let mut deleted = 0;
    while let Some(channel) = items.next_item_blocking() {
        client.call_blocking("DeleteChannel", json!({"arn": channel?["arn"]}))?;
        deleted += 1;
    }
    println!("[rust] deleted {deleted} channels; done");
    emulator.stop();
    Ok(())
}
