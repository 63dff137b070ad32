//! The README's Rust example, run as written: the lines between the markers below are its
//! ```rust block verbatim (`the_example_is_the_readmes` fails when the two differ), inside an
//! async block on a plain executor (futures'): the example makes a blocking call and awaits
//! others, which it may do outside a tokio runtime ("any executor").

const BEGIN: &str = "// README example begins";
const END: &str = "// README example ends";

#[rustfmt::skip]
#[allow(unused_variables)]
fn readme_example() -> Result<(), Box<dyn std::error::Error>> {
    futures::executor::block_on(async {
        {
            // README example begins
            use libivs_core::{Client, ClientConfig, Emulator, EmulatorConfig, PaginationConfig, Paginator};
            use serde_json::json;

            let emulator = Emulator::start(EmulatorConfig::default())?;
            let client = Client::new(ClientConfig::for_emulator(&emulator))?;
            let created = client.call_blocking("CreateChannel", json!({"name": "demo", "latencyMode": "LOW"}))?;
            let arn = created.output["channel"]["arn"].clone();
            let got = client.call("GetChannel", json!({"arn": arn})).await?;          // any executor
            println!("{} {:?}", got.output["channel"]["name"], got.metadata.request_id);
            let mut pages = Paginator::new(&client, "ListChannels", json!({}),
                                           PaginationConfig { page_size: Some(50), ..Default::default() })?;
            while let Some(page) = pages.next_page().await { /* page?.output["channels"] */ }
            // README example ends
        }
        Ok(())
    })
}

#[test]
fn the_readmes_rust_example_runs() {
    readme_example().expect("the README's Rust example");
}

#[test]
fn the_example_is_the_readmes() {
    let trimmed = |text: &str| -> Vec<String> {
        text.lines()
            .map(|line| line.trim().to_string())
            .filter(|line| !line.is_empty())
            .collect()
    };
    let here = include_str!("readme.rs");
    let (begin, end) = (format!("    {BEGIN}\n"), format!("    {END}\n"));
    let start = here.find(&begin).expect("begin marker") + begin.len();
    let stop = start + here[start..].find(&end).expect("end marker");
    let readme = include_str!("../../../README.md");
    let block = readme
        .split("```rust\n")
        .nth(1)
        .expect("a ```rust block in README.md");
    let block = &block[..block.find("```").expect("its end")];
    assert_eq!(
        trimmed(&here[start..stop]),
        trimmed(block),
        "README.md's Rust example changed: copy it here"
    );
}
